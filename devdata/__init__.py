"""Every data generator, and its commands: the invented demo authority (`load_demo_data`), the
Lancashire 2011/12 sample (`load_sample`), the synthetic bench authority (`bench_indicators`)
and synthetic CIN census files (`bench_cin_import`).

Generators are clients of the domain apps' rules and services, like any other door: every
statutory or local date they store comes from `conferences.rules`, `plans.rules` and
`iro_service.dates`, with the timescales of `settings.IRO_TIMESCALES`."""
