from inbeeld.cli import run

run()
