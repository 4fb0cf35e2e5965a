"""The mirror of Plex in our database: reader reads viewers, libraries and the item index from
Plex; lookup answers id-to-ratingKey questions from it with zero Plex requests; parse turns
Plex XML elements into fields."""
