-- Abstractive summaries (issue 19, optional language model): each chat's daily request budget
-- and the cache of grounded model summaries. Stub: claimed by llm19, filled in next.
SELECT 1;
