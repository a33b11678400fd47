from testament.cli.main import run

run()
