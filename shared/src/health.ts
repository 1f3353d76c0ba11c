export interface HealthResponse {
  status: 'ok';
}

export interface ReadyResponse {
  status: 'ready' | 'not_ready';
  database: 'up' | 'down';
  migrations: 'applied' | 'pending' | 'unknown';
}
