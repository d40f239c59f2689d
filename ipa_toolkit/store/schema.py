"""The SQLite schema as a list of forward migrations: index i upgrades version i to i+1."""

from __future__ import annotations

V1 = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    guid TEXT NOT NULL UNIQUE
);
CREATE TABLE attributes (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL
);
CREATE TABLE participant_attributes (
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    name TEXT NOT NULL REFERENCES attributes(name) ON UPDATE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (participant_id, name)
) WITHOUT ROWID;
CREATE TABLE transcripts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    width INTEGER NOT NULL,
    text TEXT NOT NULL,
    ingested TEXT NOT NULL,
    guid TEXT NOT NULL UNIQUE
);
CREATE TABLE lines (
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    speaker TEXT,
    role TEXT,
    timestamp TEXT,
    PRIMARY KEY (transcript_id, number)
) WITHOUT ROWID;
CREATE TABLE themes (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES themes(id),
    number TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    inclusion TEXT NOT NULL DEFAULT '',
    exclusion TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    keywords TEXT NOT NULL DEFAULT '[]',
    guid TEXT NOT NULL UNIQUE
);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
    theme_id INTEGER NOT NULL REFERENCES themes(id),
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    quote TEXT NOT NULL,
    coder TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'fuzzy', 'orphaned')),
    exemplar INTEGER NOT NULL DEFAULT 0,
    guid TEXT NOT NULL UNIQUE,
    UNIQUE (transcript_id, theme_id, start_char, end_char, coder)
);
CREATE INDEX codings_theme ON codings(theme_id);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('descriptive', 'linguistic', 'conceptual')),
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'fuzzy', 'orphaned')),
    guid TEXT NOT NULL UNIQUE
);
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    theme_id INTEGER NOT NULL REFERENCES themes(id),
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    guid TEXT NOT NULL UNIQUE
);
"""

# The idiographic path and the audit log. Plain types only (INTEGER, TEXT), so the same
# statements serve a PostgreSQL store through its dialect layer.
V2 = """
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    quote TEXT NOT NULL,
    text TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    coder TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'fuzzy', 'orphaned')),
    guid TEXT NOT NULL UNIQUE
);
CREATE TABLE pets (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    parent_id INTEGER REFERENCES pets(id),
    number TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    coder TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL DEFAULT '',
    guid TEXT NOT NULL UNIQUE,
    UNIQUE (participant_id, number)
);
CREATE TABLE pet_statements (
    id INTEGER PRIMARY KEY,
    pet_id INTEGER NOT NULL REFERENCES pets(id),
    statement_id INTEGER NOT NULL REFERENCES statements(id),
    UNIQUE (pet_id, statement_id)
);
CREATE TABLE pet_themes (
    id INTEGER PRIMARY KEY,
    pet_id INTEGER NOT NULL REFERENCES pets(id),
    theme_id INTEGER NOT NULL REFERENCES themes(id),
    UNIQUE (pet_id, theme_id)
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    changed_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    command TEXT NOT NULL DEFAULT '',
    op TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    participant TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
"""

# Transcript texts (and line tables) of the audit log, stored once each by content: a log
# snapshot of a transcript names them by hash, so re-ingesting a text seen before adds no
# copy. Portable like V2.
V3 = """
CREATE TABLE log_texts (
    sha256 TEXT PRIMARY KEY,
    body TEXT NOT NULL
);
"""

MIGRATIONS: list[str] = [V1, V2, V3]
