// Types for the parts of the emulation's shared state that in-process tests read and steer.
export declare const world: {
  ready: boolean;
  openDialogs: { windowId: number | null; options: Record<string, unknown> }[];
  openDialogAnswers: { canceled: boolean; filePaths: string[] }[];
};
