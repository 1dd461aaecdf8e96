import type { Handler } from "./context.js";
import { createTranscription, createTranslation } from "./audio.js";
import { createChatCompletion } from "./chat.js";
import { createCompletion } from "./completions.js";
import { createEdit } from "./edits.js";
import { createEmbedding } from "./embeddings.js";
import { createFile, deleteFile, downloadFile, listFiles, retrieveFile } from "./files.js";
import {
  cancelFineTune,
  createFineTune,
  listFineTuneEvents,
  listFineTunes,
  retrieveFineTune,
} from "./fine-tunes.js";
import { createImage, createImageEdit, createImageVariation } from "./images.js";
import { createModeration } from "./moderations.js";
import { deleteModel, listEngines, listModels, retrieveEngine, retrieveModel } from "./models.js";

/**
 * The realistic behaviours, keyed by the spec's operationId. Routes, methods and validation
 * come from the spec; an operation without an entry here answers its spec example.
 */
export const behaviours: Readonly<Record<string, Handler>> = {
  listModels,
  retrieveModel,
  deleteModel,
  createCompletion,
  createChatCompletion,
  createEdit,
  createImage,
  createImageEdit,
  createImageVariation,
  createEmbedding,
  createTranscription,
  createTranslation,
  listFiles,
  createFile,
  retrieveFile,
  deleteFile,
  downloadFile,
  createFineTune,
  listFineTunes,
  retrieveFineTune,
  cancelFineTune,
  listFineTuneEvents,
  createModeration,
  listEngines,
  retrieveEngine,
};
