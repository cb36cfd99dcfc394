import type { EnvironmentFigure, StartedPostgres } from './environment.ts'

/** PostgreSQL's start time, and its image's size where it runs in a container. */
export function postgresFigures(postgres: StartedPostgres): EnvironmentFigure[] {
  const figures: EnvironmentFigure[] = [{ name: 'PostgreSQL start', value: postgres.startMs, unit: 'ms' }]
  if (postgres.imageBytes !== undefined) figures.push({ name: 'PostgreSQL image size', value: postgres.imageBytes / 2 ** 20, unit: 'MiB' })
  return figures
}

/** The sizes of the app images the engine has (container-engine.ts appImageSizes): what the container profiles ship. */
export function appImageFigures(sizes: [string, number][]): EnvironmentFigure[] {
  return sizes.map(([image, bytes]) => ({ name: `image size ${image}`, value: bytes / 2 ** 20, unit: 'MiB' }))
}
