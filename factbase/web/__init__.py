"""The review desk (`factbase serve`): a Starlette app over :class:`factbase.FactBase`.

`templating` (Jinja2 with autoescape) is light and shared with the HTML report; `app`
builds the web application and is imported only by `factbase serve` and its tests.
"""
