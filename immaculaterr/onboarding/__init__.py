"""The first-run wizard: after the admin account, Plex → libraries → viewers → TMDB →
optional services → Auto-Run → import history → done, resumable and skippable."""
