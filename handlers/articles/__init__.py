"""Articles: the shipped ones and those moderators add from text, files or web pages."""
