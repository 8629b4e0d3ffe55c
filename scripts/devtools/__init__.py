"""Tools for the people who maintain the site, never part of it: figures and checks outside `make test`.

`bench` and `benchreport` (scripts/bench: build time, first-visit weight, Lighthouse), `breaks`
(scripts/breaks: each known break in tests/breaks.yml must be caught by the tests that name it).
"""
