"""The swipe deck: picker, cards, decisions and undo."""
