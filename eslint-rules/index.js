// HashDeck's own ESLint rules: the import layers and the one way to push to the renderer.
import layers from './layers.js';
import rawSend from './raw-send.js';

export default {
  meta: { name: 'eslint-plugin-hashdeck' },
  rules: { layers, 'no-raw-webcontents-send': rawSend },
};
