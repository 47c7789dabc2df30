"""Optional summaries a language model writes from the extractive ranker's sentences.

Off unless `PARLEY_LLM_BASE_URL` and `PARLEY_LLM_MODEL` are set. `provider` speaks the OpenAI
chat-completions protocol, `grounding` keeps only bullets their cited sentences support,
`writer` budgets, caches and runs the requests beside the chat (never in a command's way).
"""
