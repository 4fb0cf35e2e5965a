"""From one seed to picks: resolve the seed (seeds), gather TMDB candidate pools behind the
persistent cache (pools, tmdbcache), rank them (ranking), mix released and upcoming titles
(mix), let OpenAI curate when enabled (curation), and explain each pick (why, genres).
pipeline runs those steps on plain inputs; api builds the inputs from the Vault."""
