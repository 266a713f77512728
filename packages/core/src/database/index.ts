export { createDatabase, type Database, type DatabaseOptions, type Queryable } from './database.js';
