// Runs once, when the database is first initialised (docker-entrypoint-initdb.d): the user the DealRisk services log
// in as, which may read and write data but not administer the server. Its password comes from the environment.
const password = process.env.DEALRISK_MONGODB_PASSWORD;
if (!password) throw new Error('DEALRISK_MONGODB_PASSWORD is not set: the services could not log in.');
db.getSiblingDB('admin').createUser({
  user: 'dealrisk',
  pwd: password,
  roles: [{ role: 'readWriteAnyDatabase', db: 'admin' }],
});
