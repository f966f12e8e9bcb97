"""What the tests share, one module per kind (conftest.py holds only fixtures):

- ``support.paths``: where the checkout, the demo data and ../shared/data are;
- ``support.fakes``: fake embedding backends (unit tests only; the slow tests use real models);
- ``support.stores``: small files and stores built by hand, the demo store builder, planted-truth readers;
- ``support.handmade``: the hand-made analyst store with known answers (fixture ``handmade_store``);
- ``support.projects``: project folders and `vocmine` run as a process (``run_vocmine``, ``PipelineProject``).

Fixture names mean one thing in every file: ``*_db`` an empty migrated store, ``*_store`` a store
connection with rows, ``*_project`` a project folder, ``demo_*`` the demo data through some steps
(``demo_embedded``, ``demo_pipeline``: built once per session, read-only; copy before changing).
"""
