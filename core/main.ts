import { ConfigError, loadConfig } from '../config/load.js';
import { PluginLoadError } from './policy/loader.js';
import { startAppliance } from './server/start.js';

// Entry point of `npm start` and of the Docker image: one process serves everything.
try {
  const appliance = await startAppliance(loadConfig());
  const stop = (signal: string) => {
    appliance.services.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void appliance.close().then(() => {
      appliance.services.logger.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  if (error instanceof ConfigError || error instanceof PluginLoadError) {
    console.error(error.message);
  } else {
    console.error('Failed to start:', error);
  }
  process.exit(1);
}
