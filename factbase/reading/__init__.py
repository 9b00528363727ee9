"""Reading text: time expressions, words, numbers and cues shared by verify and suggest."""
