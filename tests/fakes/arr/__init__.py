"""The *arr doubles. Import each name from the module that defines it:

    base     ArrDouble (auth, status, root folders, quality profiles, tags, the command queue)
             and the FluentValidation failure and error-model helpers Radarr and Sonarr share
    radarr   RadarrDouble: Radarr v5's /api/v3 movies, lookup and editor
    sonarr   SonarrDouble: Sonarr v4's /api/v3 series, episodes and lookup
    series   Sonarr's series metadata, air dates, monitor rules and episode statistics
    wanted   /wanted/missing for both (paged) and the searches that stamp lastSearchTime
"""
