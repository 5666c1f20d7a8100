"""The exchange page (``/exchanges/<id>/``): a column of sections from several apps, and
every view that renders into it.

- ``composition.py``: the sections, in order (key, title, template, context function), each
  domain's context imported from that domain; rendering them.
- ``responses.py``: the form flow the section forms share (``form_response``,
  ``redirect_or_sections``, ``render_sections``).
- ``views.py``: the page, one section, and the exchange app's section forms (overview,
  roster, groups, itinerary, gifts, photos); ``forums.py``: the forum section's forms;
  ``pairings.py``: the appointments and commitments sections' forms.
- ``urls.py``: their URLs, in the namespaces they always had (``exchanges:…``,
  ``exchanges:forums:…``, ``pairings:…``), mounted by the root URLconf.
"""
