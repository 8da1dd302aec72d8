from planx.pipeline.cli import cli

cli(prog_name="planx")
