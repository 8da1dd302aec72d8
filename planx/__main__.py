from planx.pipeline.cli import main

main()
