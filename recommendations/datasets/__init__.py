"""Each viewer's datasets per library, and every write to them: Immaculate Taste points and
Based on Latest Watched snapshots (plans), activation of titles Plex now has (activation),
rejections and resets (resets), the points rules as a pure function (points), and what a
viewer already watched (watched)."""
