"""A viewer's rows in Plex, from the datasets to ordered, pinned, postered collections.

    sync.sync_viewer_rows(server, viewer, library)      desired rows -> one plan per row
      data.row_keys / fresh.recent_items / ordering      what each row holds, in what order
      plan.plan_row / plan.plan_moves                    the cheapest change (no Plex request)
      apply.sync_section / apply.apply_row               carried out so a failure never costs
                                                         the viewer their row
      section.SectionStates                              a sweep's one read of each section
      posters.render_poster / art.row_art                the row's artwork; its hash, drawn
                                                         only when it is sent
"""
