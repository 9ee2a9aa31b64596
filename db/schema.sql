-- infopoint bundle schema, version 3 (PRAGMA user_version = 3).
-- A bundle is one SQLite file, written by `infopoint-bundle build` and opened
-- read-only by the kiosk. History of versions: db/README.md.
-- Ids are stable across versions: items and categories are named by their
-- source folder, anchors by the editor ({#art43-5}), so links and QR codes live on.

PRAGMA user_version = 3;

-- Bundle-wide facts: 'bundle_version', 'created' (ISO 8601 UTC, taken from the
-- content, never from the clock, so builds are reproducible), 'languages'
-- ("kk ru en"), 'fallback' (default fallback order), 'title', 'digest'
-- (hex sha256 of the canonical content, see app/digest.h).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE categories (
  id    TEXT PRIMARY KEY,
  pos   INTEGER NOT NULL,           -- display order
  icon  TEXT                        -- asset name or NULL
) WITHOUT ROWID;

CREATE TABLE category_texts (
  category_id TEXT NOT NULL REFERENCES categories(id),
  lang        TEXT NOT NULL,        -- 'kk', 'ru', 'en'
  title       TEXT NOT NULL,
  summary     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (category_id, lang)
) WITHOUT ROWID;

CREATE TABLE items (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('article', 'document', 'explainer')),
  category_id TEXT NOT NULL REFERENCES categories(id),
  pos         INTEGER NOT NULL,     -- display order inside the category
  featured    INTEGER NOT NULL DEFAULT 0,
  cover       TEXT                  -- asset name or NULL
) WITHOUT ROWID;
CREATE INDEX items_by_category ON items(category_id, pos);
-- Only the featured items, so the home screen finds them in a few steps in
-- a bundle of any size. Added within version 3: a bundle without it opens
-- and reads the same rows through items_by_category, more slowly.
CREATE INDEX items_featured ON items(category_id, pos) WHERE featured;

-- One row per item and language that has a text. body is the Markdown source
-- (front-matter removed); the kiosk parses it with md4c when it shows it.
-- A rowid table: rows of several KB waste space in a WITHOUT ROWID b-tree.
CREATE TABLE item_texts (
  item_id TEXT NOT NULL REFERENCES items(id),
  lang    TEXT NOT NULL,
  title   TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body    TEXT NOT NULL,
  PRIMARY KEY (item_id, lang)
);

-- Named places inside an item, in document order: for a document the sections
-- (level 1), articles (2) and clauses (3) with stable anchors such as
-- 'art43-5'; for an explainer the cards (level 1) and other anchored blocks
-- (2); for an article anchored headings (1, 2) and paragraphs (3).
-- Titles are per language.
CREATE TABLE anchors (
  item_id TEXT NOT NULL REFERENCES items(id),
  lang    TEXT NOT NULL,
  anchor  TEXT NOT NULL,
  pos     INTEGER NOT NULL,         -- 0-based order inside the item
  level   INTEGER NOT NULL,
  title   TEXT NOT NULL,
  PRIMARY KEY (item_id, lang, anchor)
) WITHOUT ROWID;

-- Every link from an item's text to another item or anchor, checked at build
-- time ('item:constitution#art43-5' becomes target_item/target_anchor).
CREATE TABLE links (
  item_id       TEXT NOT NULL REFERENCES items(id),
  lang          TEXT NOT NULL,
  pos           INTEGER NOT NULL,   -- 0-based order inside the text
  target_item   TEXT NOT NULL,
  target_anchor TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (item_id, lang, pos)
) WITHOUT ROWID;
CREATE INDEX links_by_target ON links(target_item, target_anchor);

-- Editor keywords and synonyms (front matter 'keywords:' for the item,
-- 'keywords.<anchor>:' for a clause, an anchored block or a deck card), per
-- language, as written: comma-separated words and phrases. Searched with a
-- weight between titles and bodies; never shown.
CREATE TABLE keywords (
  item_id TEXT NOT NULL REFERENCES items(id),
  lang    TEXT NOT NULL,
  anchor  TEXT NOT NULL DEFAULT '', -- '' for the item itself
  words   TEXT NOT NULL,
  PRIMARY KEY (item_id, lang, anchor)
) WITHOUT ROWID;

-- Images as BLOBs: no path from content ever touches the kiosk's file system.
CREATE TABLE assets (
  name   TEXT PRIMARY KEY,          -- '<item-id>/<file name>'
  mime   TEXT NOT NULL,             -- 'image/png' or 'image/jpeg'
  width  INTEGER NOT NULL,
  height INTEGER NOT NULL,
  size   INTEGER NOT NULL,          -- length of data in bytes
  data   BLOB NOT NULL
);

-- ---- The unit index (schema 2, 3; store_find, app/store/indexer.c) ----------
-- Everything below is derived from the content tables by one function
-- (indexer_add_text), run by the content tool and by a kiosk that installs
-- an update, so both produce the same index. Not part of the digest.
--
-- A unit is what a search result opens: an item, or a place inside it that
-- has its own anchor (a clause or article of a document, a deck card, an
-- anchored section of an article). Units partition an item's text, so a
-- word is found in the deepest place that holds it.
CREATE TABLE search_units (
  id      INTEGER PRIMARY KEY,      -- rowid of the unit in search_index and search_heads
  text_id INTEGER NOT NULL,         -- item_texts rowid
  item_id TEXT NOT NULL,
  lang    TEXT NOT NULL,
  anchor  TEXT NOT NULL,            -- '' for the item itself
  card    INTEGER NOT NULL,         -- 1-based deck card, 0 when not a card
  body    TEXT NOT NULL,            -- the unit's own plain text (Markdown removed), for its snippet
  title   TEXT NOT NULL             -- where: 'Article 43, clause 1', a card's title, the item's title
);
CREATE INDEX search_units_by_text ON search_units(text_id);

-- Canonical stems (app/format/fts.h), space-separated, by column:
-- the unit's title, the editor's keywords, its context (the item's title
-- and summary, the heading of the article a clause is in) and its body.
-- lang is one token ('kk'), for a cheap per-language filter. Contentless:
-- the text is in item_texts; a unit is taken out with FTS5's 'delete'
-- command and the same values (indexer_remove_item computes them again).
-- Ranked by ip_score (app/format/fts.c: bm25 without its document
-- frequencies, which cost a count over a third of the index per query):
-- title 10, keywords 5, context 2, body 1.
CREATE VIRTUAL TABLE search_index USING fts5(
  title, keywords, context, body, lang,
  content = '', tokenize = 'ascii', columnsize = 1
);

-- Titles and keywords again, with prefix indexes of 1 to 3 letters, so the
-- first letters typed find titles in constant time (the body index has no
-- prefix index: it would double its size).
CREATE VIRTUAL TABLE search_heads USING fts5(
  title, keywords, lang,
  content = '', tokenize = 'ascii', prefix = '1 2 3'
);

-- Every canonical word form of the indexed texts and its stem in that
-- text's language ('' when the stem is the form itself): a typed prefix
-- finds its forms here, and the forms give the stems to ask the index for.
CREATE TABLE search_forms (
  form TEXT NOT NULL,
  lang TEXT NOT NULL,
  stem TEXT NOT NULL,
  PRIMARY KEY (form, lang)
) WITHOUT ROWID;

-- The correction vocabulary: every distinct form of four letters or more,
-- numbered, and its trigrams ('$' marks the ends: '$пр', 'пре', ...,
-- 'нт$'; each hashed to an ASCII token, fts.h fts_gram_token) in a
-- contentless FTS5 table without positions, whose doclists are the compact
-- posting lists a trigram lookup needs: the candidates of a typo correction.
CREATE TABLE search_vocab (
  id   INTEGER PRIMARY KEY,         -- rowid in search_grams
  word TEXT NOT NULL
);
CREATE VIRTUAL TABLE search_grams USING fts5(
  grams, content = '', tokenize = 'ascii', detail = 'none', columnsize = 0
);

-- The records digest (app/format/records.h), added within version 3: the
-- hash of every item and asset record, of every non-empty bin of them, and
-- the root over the bins with the content digest it was computed for. The
-- kiosk keeps them up to date as it applies records, so an update is checked
-- in O(changed records). Not content: neither in the content digest nor in
-- any record. A bundle without them (made before them, or by a kiosk that
-- does not keep them) opens as before; the next install builds them from the
-- rows once. app/format/records.c creates the same tables in such a bundle.
CREATE TABLE record_hashes (name TEXT PRIMARY KEY, bin INTEGER NOT NULL, sha BLOB NOT NULL) WITHOUT ROWID;
CREATE INDEX record_hashes_by_bin ON record_hashes(bin, name);
CREATE TABLE record_bins (bin INTEGER PRIMARY KEY, sha BLOB NOT NULL);
CREATE TABLE record_root (one INTEGER PRIMARY KEY CHECK (one = 1), root BLOB NOT NULL, digest TEXT NOT NULL);
