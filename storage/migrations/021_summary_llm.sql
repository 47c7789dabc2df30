-- Written summaries (issue 19, the optional language model): what a model wrote from an edition's
-- sentences, cached by the text's hash, the model, the length, the language and the kind
-- ('summary' in the edition's language, 'translation' standing in for a missing edition), so the
-- same request is never sent twice; `bullets_json` is `[]` when nothing held up against the
-- sentences (the extractive summary shows). `llm_usage` counts each chat's requests per UTC day
-- against PARLEY_LLM_DAILY_BUDGET (only today's rows are kept). Portable SQL: both engines.
CREATE TABLE written_summaries (
    content_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    length TEXT NOT NULL,
    language TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('summary', 'translation')),
    version TEXT NOT NULL,
    bullets_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (content_hash, model, length, language, kind, version)
);

CREATE TABLE llm_usage (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    day TEXT NOT NULL,
    requests INTEGER NOT NULL CHECK (requests >= 0),
    PRIMARY KEY (platform, chat_id, day)
);
