"""The studio window's widgets. They read and write models; never the engine, store or network."""
