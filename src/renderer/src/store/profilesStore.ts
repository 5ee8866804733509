// The profiles slice: the saved miner profiles, replaced wholesale by the `profiles` event and
// patched locally after a save or delete so the UI does not wait for the event round-trip.
import { create } from 'zustand';
import type { Profile } from '../../../shared/contract';

export interface ProfilesState {
  list: readonly Profile[];
  setAll: (list: readonly Profile[]) => void;
  upsert: (profile: Profile) => void;
  remove: (id: string) => void;
  reset: () => void;
}

export const useProfilesStore = create<ProfilesState>()((set) => ({
  list: [],
  setAll: (list) => set({ list }),
  upsert: (profile) =>
    set((s) => {
      const i = s.list.findIndex((p) => p.id === profile.id);
      if (i === -1) return { list: [...s.list, profile] };
      const list = [...s.list];
      list[i] = profile;
      return { list };
    }),
  remove: (id) => set((s) => ({ list: s.list.filter((p) => p.id !== id) })),
  reset: () => set({ list: [] }),
}));
