// Child-process half of the "unreadable settings file" attack: started as a user who cannot read
// DATA_DIR/settings.json, it starts the mining service there, tries to save settings, and prints what happened.
import { createMiningService } from '../../../src/main/service/mining-service';

const dataDir = process.argv[2]!;
const result: { started: boolean; notices: string[]; saveError: string | null; startError: string | null } = {
  started: false,
  notices: [],
  saveError: null,
  startError: null,
};
try {
  const service = await createMiningService({ dataDir });
  result.started = true;
  result.notices = service.startupNotices;
  try {
    await service.invoke('saveSettings', { theme: 'dark' });
  } catch (err) {
    result.saveError = (err as Error).message;
  }
  await service.shutdown();
} catch (err) {
  result.startError = (err as Error).message;
}
console.log(JSON.stringify(result));
