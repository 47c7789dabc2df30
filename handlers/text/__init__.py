"""Text tools shared by features: Markdown structure, sentence splitting, language detection."""
