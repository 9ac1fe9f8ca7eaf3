package driver

// MemStats is memStats for the external tests (idle connections, players).
var MemStats = memStats
