"""The block model: kinds with typed parameters, blocks, stages and documents."""
