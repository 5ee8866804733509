// The renderer's ring buffer is the one in src/shared (the engine uses the same implementation).
export { RingBuffer } from '../../../shared/buffers/ring-buffer';
