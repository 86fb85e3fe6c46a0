"""Qt-side state of the window: QObjects with observable properties and Qt item models."""
