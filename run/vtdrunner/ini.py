# SPDX-License-Identifier: GPL-2.0-or-later
"""The one reader of the runner's INI tables: run/configs.cfg,
run/tests.cfg, run/model-configs.cfg and run/divergences.cfg.

A table is sections of `key = value` lines; a value may go on over
indented lines, and a blank line ends it.  No interpolation: a value is
what is written.  In a table with a defaults section ([defaults]) every
other section inherits its values; in one without, every section is an
entry.  A key the table does not know is an error, wherever it stands:
a typo must not silently change what runs.
"""

import configparser
import re

DEFAULTS = "defaults"
_NO_DEFAULTS = "\0"             # a section name no file can write


class TableError(Exception):
    """A table that cannot be used as written."""


def words(value):
    """Comma- and/or whitespace-separated words."""
    return [w for w in re.split(r"[\s,]+", value.strip()) if w]


def lines(value):
    """The lines of a value, comment lines aside."""
    return [ln.strip() for ln in value.splitlines() if ln.strip()
            and not ln.strip().startswith("#")]


def _parse(path, section):
    parser = configparser.ConfigParser(default_section=section,
                                       interpolation=None,
                                       empty_lines_in_values=False)
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except OSError as e:
        raise TableError("cannot read %s: %s" % (path, e.strerror)) from None
    except configparser.Error as e:
        raise TableError("%s: %s" % (path, e)) from None
    return parser


def read(path, known, defaults=DEFAULTS):
    """A ConfigParser over the table at path, every key checked against
    known ({key: what it means}).  defaults: the name of the section the
    others inherit from, or None for a table without one."""
    parser = _parse(path, defaults or _NO_DEFAULTS)
    named = [(defaults, parser.defaults())] if defaults else []
    for name, keys in named + [(n, parser.options(n)) for n in parser.sections()]:
        for key in keys:
            if key not in known:
                raise TableError("%s [%s]: unknown key %r (known: %s)"
                                 % (path, name, key, ", ".join(sorted(known))))
    return parser


def own_keys(path):
    """{section: the keys written in the section itself, not inherited}."""
    parser = _parse(path, _NO_DEFAULTS)
    return {name: set(parser.options(name)) for name in parser.sections()}
