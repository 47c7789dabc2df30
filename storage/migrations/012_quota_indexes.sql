-- Quotas (issue 12) count a creator's and a chat's open polls, and a chat's added articles, in
-- the transaction that adds one. Partial indexes keep those counts to the open polls, however
-- many closed ones a busy creator or chat has.

CREATE INDEX polls_open_by_creator ON polls (creator, closes_at) WHERE closed_at IS NULL;
CREATE INDEX polls_open_by_chat ON polls (platform, chat_id, closes_at) WHERE closed_at IS NULL;
CREATE INDEX articles_by_chat ON articles (added_platform, added_chat_id);
