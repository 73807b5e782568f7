-- tasks_db, the database of maintenance-api (examples/maintenance-api): maintenance tasks, their
-- comments, and what a backup must carry besides rows, so the backup drill verifies each kind:
-- a view, a trigger, a stored routine and a scheduled event. Loaded once into a new database by
-- scripts/demo/maintenance-db.sh; about 3000 tasks and 6000 comments.

CREATE TABLE tasks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  status ENUM('open', 'in_progress', 'done', 'cancelled') NOT NULL DEFAULT 'open',
  assignee VARCHAR(64) NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  -- Moves on every change: rows it dates before a dump are the ones the dump must hold as they are.
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  KEY tasks_status (status),
  KEY tasks_updated_at (updated_at)
) ENGINE = InnoDB;

CREATE TABLE task_comments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id BIGINT UNSIGNED NOT NULL,
  author VARCHAR(64) NOT NULL,
  body TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT task_comments_task FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE,
  KEY task_comments_created_at (created_at)
) ENGINE = InnoDB;

-- The service's work queue page reads this.
CREATE VIEW open_tasks_by_assignee AS
  SELECT coalesce(assignee, '(unassigned)') AS assignee, count(*) AS open_tasks
  FROM tasks WHERE status IN ('open', 'in_progress')
  GROUP BY coalesce(assignee, '(unassigned)');

DELIMITER //

-- Every status change leaves a comment: the audit trail the service shows under a task.
CREATE TRIGGER tasks_status_comment AFTER UPDATE ON tasks FOR EACH ROW
BEGIN
  IF NEW.status <> OLD.status THEN
    INSERT INTO task_comments (task_id, author, body)
      VALUES (NEW.id, 'system', concat('status: ', OLD.status, ' -> ', NEW.status));
  END IF;
END //

-- Cancels tasks nobody touched for DAYS days; returns how many.
CREATE FUNCTION cancel_stale_tasks(days INT) RETURNS INT
  MODIFIES SQL DATA
BEGIN
  UPDATE tasks SET status = 'cancelled'
    WHERE status = 'open' AND updated_at < now() - INTERVAL days DAY;
  RETURN ROW_COUNT();
END //

DELIMITER ;

-- Nightly housekeeping on the server itself (runs when the event scheduler is on).
CREATE EVENT nightly_cancel_stale_tasks
  ON SCHEDULE EVERY 1 DAY STARTS (CURRENT_DATE + INTERVAL 1 DAY + INTERVAL 1 HOUR)
  DO SELECT cancel_stale_tasks(180);

-- Seed: 3000 tasks spread over the last 120 days, two comments each. Dated in the past so the
-- drill's stable rows (updated before the dump) are almost all of them. MariaDB stops a recursive
-- query at 1000 iterations by default.
SET SESSION max_recursive_iterations = 5000;
INSERT INTO tasks (title, status, assignee, created_at, updated_at)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
SELECT
  concat(elt(1 + i % 6, 'Replace filter on ', 'Inspect pump at ', 'Calibrate sensor in ',
    'Service HVAC unit at ', 'Repair door lock at ', 'Check fire extinguishers in '),
    'building ', 1 + i % 40, ', floor ', 1 + i % 7),
  elt(1 + i % 10, 'open', 'open', 'in_progress', 'done', 'done', 'done', 'done', 'done', 'done', 'cancelled'),
  IF(i % 9 = 0, NULL, elt(1 + i % 8, 'ana', 'bo', 'chidi', 'dana', 'eli', 'farah', 'goran', 'hana')),
  now() - INTERVAL (120 * 24 * 60 - i * 57) MINUTE,
  now() - INTERVAL (120 * 24 * 60 - i * 57) MINUTE + INTERVAL (i % 5) HOUR
FROM n;

INSERT INTO task_comments (task_id, author, body, created_at)
SELECT id, coalesce(assignee, 'dispatch'), 'Scheduled; parts ordered.', created_at + INTERVAL 10 MINUTE FROM tasks
UNION ALL
SELECT id, coalesce(assignee, 'dispatch'), 'On site, work in progress.', created_at + INTERVAL 1 HOUR FROM tasks;
