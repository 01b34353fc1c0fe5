export { createProfileDirectory, type ProfileDirectory } from './profile-directory.ts';
export { createUserRepo } from './repo.ts';
export { usersRouter } from './router.ts';
export { createUserService, type UserService } from './service.ts';
