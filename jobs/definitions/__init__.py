"""The jobs themselves, one module per family. Each job receives a JobContext; recommendations
does the thinking, the vault talks to Plex, and these functions order the steps and fill the
report. jobs/apps.py imports the family modules in ready(), which registers their jobs."""
