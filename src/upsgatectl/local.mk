# src/upsgatectl
