import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../warehouse/objectstore/local.js';
import { objectStoreConformance } from '../conformance/objectstore.js';

objectStoreConformance('local directory', async () => LocalObjectStore.create(path.join(await mkdtemp(path.join(os.tmpdir(), 'nightjar-osl-')), 'lake')));
