/**
 * The synthetic enterprise generator, for the demo and for tests that need realistic
 * telemetry at any volume. See generate.ts.
 */
export { generateEnterprise, type GenerateOptions, type SyntheticDay, type SyntheticManifest } from './generate.js';
export { type PlantedKey, type PlantedStep, C2_IP, C2_DOMAIN, DOWNLOAD_IP, SPRAY_IP } from './attacks.js';
export { type NetworkRange } from './enterprise.js';
