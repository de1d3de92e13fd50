"""Long-running alarm listeners (SNMP traps, MQTT) that feed `accept()`; see `runner`."""
