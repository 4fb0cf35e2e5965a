"""TMDB's genre ids and names (stable, published lists), so a "why" can name genres without a
request. Unknown ids fall back to whatever names a details answer carried."""

MOVIE_GENRES = {
    28: "action", 12: "adventure", 16: "animation", 35: "comedy", 80: "crime",
    99: "documentary", 18: "drama", 10751: "family", 14: "fantasy", 36: "history",
    27: "horror", 10402: "music", 9648: "mystery", 10749: "romance", 878: "science fiction",
    10770: "tv movie", 53: "thriller", 10752: "war", 37: "western",
}
TV_GENRES = {
    10759: "action & adventure", 16: "animation", 35: "comedy", 80: "crime",
    99: "documentary", 18: "drama", 10751: "family", 10762: "kids", 9648: "mystery",
    10763: "news", 10764: "reality", 10765: "sci-fi & fantasy", 10766: "soap", 10767: "talk",
    10768: "war & politics", 37: "western",
}


def genre_names(media_type: str, ids, extra: dict[int, str] | None = None) -> list[str]:
    known = (MOVIE_GENRES if media_type == "movie" else TV_GENRES) | (extra or {})
    return [known[g] for g in ids if g in known]
