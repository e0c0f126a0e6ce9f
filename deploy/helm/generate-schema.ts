import { writeValuesSchema } from './values-schema.js';

// `npm run chart:schema`: after a change to the server's configuration schema.
await writeValuesSchema();
