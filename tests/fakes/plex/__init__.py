"""The Plex doubles: a Plex Media Server and plex.tv, both spoken to by the real plexapi.

Import each name from the module that defines it:

    server       PlexServerDouble: transport, server root, sections, listings and metadata
    plextv       PlexTvDouble: the owner's plex.tv account, PIN sign-in, resources, shared users
    accounts     the people both doubles know (ACCOUNTS, OWNER, OWNER_PLEXTV_ID)
    library      Library: the sections and items built from the shared Catalog
    records      Item, Section, TYPE_CODES and the sort-title and epoch helpers
    collections  CollectionRoutes: create, read, add, remove, move and sort collections
    posters      PosterRoutes: poster uploads, the poster list and the image
    hubs         HubRoutes: managed hubs ("Manage Recommendations")
    activity     ActivityRoutes: accounts, now-playing sessions and watch history
    query        listing filters, sort, limit and paging as a real server reads them
    meta         the `<Meta>` block of `includeMeta=1`
    xml          elements and responses shaped like a real server's XML
    errors       the HTML refusals (400, 404)
"""
