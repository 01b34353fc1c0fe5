export { type AvatarImages, type AvatarPictures, createAvatarPictures } from './pictures.ts';
export { createAvatarRoutes } from './routes.ts';
