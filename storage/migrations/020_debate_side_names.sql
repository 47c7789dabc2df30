-- Debate side names (issues 15 and 18): the distillation map's sides are renamed so that nobody
-- can misread them (the accused are labs too): `labs` becomes `accusers`, `critics` becomes
-- `defenders`. Stored community arguments follow. Portable SQL: this one script serves SQLite
-- and PostgreSQL.

UPDATE arguments SET side = 'accusers' WHERE topic = 'distillation' AND side = 'labs';
UPDATE arguments SET side = 'defenders' WHERE topic = 'distillation' AND side = 'critics';
