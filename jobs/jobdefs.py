"""The jobs themselves (registered at import)."""
