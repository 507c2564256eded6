// The in-memory store the container service's unit tests use is held to the StateStore contract,
// so those tests cannot pass on behaviour the real store does not have.
import { stateStoreContract } from '../../store/state-store-contract.ts';
import { MemStore } from './fakes.ts';

stateStoreContract('in-memory fake', async () => ({ store: new MemStore(), cleanup: async () => undefined }));
